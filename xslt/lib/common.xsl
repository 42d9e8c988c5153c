<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared declarations of every serge-tei stylesheet: parameters, keys, the
  name-occurrence accumulator and the functions that resolve references, make
  anchors and decide which data-driven URLs may become links.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:include href="languages.xsl"/>

  <!-- The elements that name an entity and get an anchor of their own. -->
  <xsl:variable name="st:names" static="yes" as="xs:string"
      select="'tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:title[@ref]'"/>

  <!-- The authority files combined (a teiCorpus built by the caller); none by default. -->
  <xsl:param name="authority" as="document-node()?" select="()"/>
  <!-- The authority entries' tooltips, computed once per edition by tips.xsl; when absent,
       each tooltip is computed where it is needed. -->
  <xsl:param name="tips" as="document-node()?" select="()"/>
  <!-- The id of the document when its root has no xml:id (the caller passes the file stem). -->
  <xsl:param name="docid" as="xs:string" select="'document'"/>
  <!-- Absolute base URL of the published edition, for the citation; empty for none. -->
  <xsl:param name="site-url" as="xs:string" select="''"/>
  <!-- The language of a document that declares none (BCP 47); 'und' (undetermined) when the
       caller does not know it either: never a guess. -->
  <xsl:param name="default-lang" as="xs:string" select="'und'"/>
  <!-- Whether the page is part of a site written by build (its home, index pages and
       downloads exist) or stands alone (transform): links only to what exists. -->
  <xsl:param name="site" as="xs:boolean" select="true()"/>

  <xsl:key name="st:entity" match="tei:person | tei:personGrp | tei:place | tei:org | tei:bibl
      | tei:biblStruct | tei:castList//tei:role" use="@xml:id"/>

  <xsl:key name="st:tip" match="st:tip" use="@id"/>

  <!-- The n-th naming element of its TEI document (header included): stable anchors. -->
  <xsl:accumulator name="st:name-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:TEI" phase="start" select="0"/>
    <xsl:accumulator-rule _match="{$st:names}" phase="start" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The n-th editorial correction of its TEI document: ids that do not depend on
       what else the processor has parsed (generate-id() does), so builds repeat. -->
  <xsl:accumulator name="st:choice-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:TEI" phase="start" select="0"/>
    <xsl:accumulator-rule match="tei:choice" phase="start" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The n-th speech of its TEI document: the anchor of a speaker's mention (sp/@who). -->
  <xsl:accumulator name="st:sp-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:TEI" phase="start" select="0"/>
    <xsl:accumulator-rule match="tei:sp" phase="start" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The document being transformed (the global context item): what is worked out once
       per document, for a play's thousands of speeches, is worked out for it. -->
  <xsl:variable name="st:source" as="node()" select="root(.)"/>

  <xsl:variable name="st:index-pages" as="map(xs:string, xs:string)" select="map{
      'person': 'persons.html', 'place': 'places.html', 'org': 'orgs.html', 'work': 'works.html'}"/>

  <xsl:variable name="st:kind-of-entity" as="map(xs:string, xs:string)" select="map{
      'person': 'person', 'personGrp': 'person', 'role': 'person', 'place': 'place', 'org': 'org',
      'bibl': 'work', 'biblStruct': 'work'}"/>

  <xsl:variable name="st:kind-of-name" as="map(xs:string, xs:string)" select="map{
      'persName': 'person', 'placeName': 'place', 'orgName': 'org', 'title': 'work'}"/>

  <!-- rend tokens we understand, mapped to our own class names (never taken from data). -->
  <xsl:variable name="st:rend-classes" as="map(xs:string, xs:string)" select="map{
      'italic': 'i', 'italics': 'i', 'italicised': 'i', 'italicized': 'i', 'i': 'i',
      'bold': 'b', 'b': 'b', 'underline': 'u', 'u': 'u', 'sup': 'sup', 'superscript': 'sup',
      'sub': 'sub', 'subscript': 'sub', 'smallcaps': 'sc', 'small-caps': 'sc',
      'spaced': 'spaced', 'right': 'right', 'center': 'center', 'centre': 'center',
      'indent': 'indent', 'it': 'i', 'bo': 'b', 'bol': 'b', 'ul': 'u', 'underlined': 'u',
      'strikethrough': 'strike', 'strike': 'strike', 'overstrike': 'strike',
      'sc': 'sc', 'caps': 'sc', 'uppercase': 'upper', 'allcaps': 'upper', 'upper': 'upper',
      'letterspace': 'spaced', 'letter-spacing': 'spaced', 'g': 'spaced', 'gesperrt': 'spaced',
      'expanded': 'spaced', 'left': 'left', 'c': 'center', 'align(center)': 'center',
      'align(right)': 'right', 'align(left)': 'left', 'large': 'large', 'larger': 'large',
      'small': 'small', 'smaller': 'small', 'aq': 'antiqua', 'antiqua': 'antiqua',
      'roman': 'roman', 'block': 'block', 'inline': 'inline', 'indent(1)': 'indent',
      'hanging': 'hanging', 'bottom': 'bottom', 'top': 'top', 'margin': 'margin',
      'above': 'above', 'below': 'below', 'frame': 'frame', 'box': 'frame', 'red': 'red',
      'k': 'sc', 'fr': 'fraktur', 'fraktur': 'fraktur', 'blackletter': 'fraktur'}"/>

  <!-- ===== documents ===== -->

  <!-- The id of the document a node is in: $docid (the caller's, from the root's xml:id or
       the file name) for a document on its own; for a TEI in a teiCorpus, its xml:id made
       safe as serge_tei.transform.docid does, else $docid and its position. -->
  <xsl:function name="st:docid" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="tei" select="$node/ancestor-or-self::tei:TEI[last()]"/>
    <!-- outside a teiCorpus (asked for each speech of a play), the first test answers -->
    <xsl:sequence select="if (empty($node/ancestor::tei:teiCorpus)) then $docid
        else if (not($tei/parent::tei:teiCorpus)) then $docid
        else if ($tei/@xml:id) then st:safe-docid($tei/@xml:id)
        else $docid || '-' || (count($tei/preceding-sibling::tei:TEI) + 1)"/>
  </xsl:function>

  <xsl:function name="st:safe-docid" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="safe" select="replace(replace(replace($id, '\.xml$', '', 'i'),
        '[^A-Za-z0-9_.\-]', '-'), '^[.\-]+', '')"/>
    <xsl:sequence select="if ($safe = '') then 'document'
        else if (matches($safe, '^[A-Za-z_]')) then $safe else 'd-' || $safe"/>
  </xsl:function>

  <!-- The document's own title: the main title, else the title of the item (a letter's
       level="a"), else one that is not the series' or the collection's. -->
  <xsl:function name="st:doc-title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:sequence select="st:plain(($titles[@type = 'main'], $titles[@level = 'a'],
        $titles[not(@type)][not(@level = ('s', 'j', 'm', 'u'))], $titles[not(@type)],
        $titles)[1])"/>
  </xsl:function>

  <!-- An author's or editor's name without the identifiers some projects put beside it. -->
  <xsl:function name="st:person-name" as="xs:string">
    <xsl:param name="person" as="element()"/>
    <xsl:sequence select="st:plain(($person/(tei:persName | tei:name | tei:orgName), $person)[1])"/>
  </xsl:function>

  <!-- The document's language: text's xml:lang, the root's, the one language of langUsage,
       else $default-lang; always as BCP 47. -->
  <xsl:function name="st:doc-lang" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="usage" select="$tei/tei:teiHeader/tei:profileDesc/tei:langUsage
        /tei:language/@ident"/>
    <xsl:variable name="declared" select="($tei/tei:text/@xml:lang, $tei/@xml:lang,
        $usage[count($usage) = 1]) ! st:bcp47(.)"/>
    <xsl:sequence select="($declared[. != ''], st:bcp47($default-lang)[. != ''], 'und')[1]"/>
  </xsl:function>

  <!-- ===== names and entities ===== -->

  <!-- What a mention points to: @ref; a speech's @who; @corresp or @key of an rs or a name
       without @ref (projects use either). -->
  <xsl:function name="st:pointer" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="normalize-space(if ($e/self::tei:sp) then $e/@who
        else ($e/@ref, $e[self::tei:rs | self::tei:name | self::tei:persName | self::tei:placeName
            | self::tei:orgName]/@corresp)[1])"/>
  </xsl:function>

  <!-- The authority entry a name refers to, or nothing when the reference does not resolve. -->
  <xsl:function name="st:entity" as="element()?" cache="yes">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="st:resolve(tokenize(st:pointer($e))[1], $e)"/>
  </xsl:function>

  <!-- The entry that one pointer ('#id', 'persons.xml#id') names: in the authority files
       first, then in the document of $context; nothing for any other kind of URL. -->
  <xsl:function name="st:resolve" as="element()?">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="file" select="substring-before(string($ref), '#')"/>
    <xsl:variable name="frag" select="substring-after(string($ref), '#')"/>
    <xsl:sequence select="if ($frag = '' or not(matches($file, '^([A-Za-z0-9_.\-]+\.xml)?$')))
        then () else ($authority ! key('st:entity', $frag, .),
            key('st:entity', $frag, root($context)))[1]"/>
  </xsl:function>

  <!-- person | place | org | work for a naming element, or '' when it names nothing we index. -->
  <xsl:function name="st:kind" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="entity" select="st:entity($e)"/>
    <xsl:sequence select="if ($entity) then ($st:kind-of-entity(local-name($entity)), '')[1]
        else if ($e/self::tei:sp) then ''
        else if ($e/self::tei:rs) then (map{'person': 'person', 'place': 'place', 'org': 'org',
            'work': 'work', 'bibl': 'work'}(string($e/@type)), '')[1]
        else ($st:kind-of-name(local-name($e)), '')[1]"/>
  </xsl:function>

  <!-- The anchor of one naming element in the reading edition: its xml:id or docid-nN. -->
  <xsl:function name="st:anchor" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="string(($e/@xml:id,
        st:docid($e) || '-n' || $e ! accumulator-before('st:name-count'))[1])"/>
  </xsl:function>

  <!-- The anchor of a speech (its speaker's mention): its xml:id or docid-sN, N its number
       in its TEI document. -->
  <xsl:function name="st:speech-anchor" as="xs:string">
    <xsl:param name="sp" as="element(tei:sp)"/>
    <xsl:sequence select="string(($sp/@xml:id,
        st:docid($sp) || '-s' || st:speech-number($sp))[1])"/>
  </xsl:function>

  <!-- Its number: from 1 after the start of each TEI (st:sp-count). For the document being
       transformed, read from a table made once: SaxonC evaluates the accumulator over every
       node of the tree, which cost more than the table and all its look-ups. -->
  <xsl:function name="st:speech-number" as="xs:integer">
    <xsl:param name="sp" as="element(tei:sp)"/>
    <xsl:sequence select="if (root($sp) is $st:source) then $st:speech-numbers(generate-id($sp))
        else $sp ! accumulator-before('st:sp-count')"/>
  </xsl:function>

  <xsl:variable name="st:speech-numbers" as="map(xs:string, xs:integer)">
    <xsl:map>
      <xsl:for-each-group select="$st:source//tei:TEI | $st:source//tei:sp"
          group-starting-with="tei:TEI">
        <xsl:sequence select="current-group()[self::tei:sp] ! map{generate-id(.): position()}"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>

  <!-- The index entry's id: the authority id; for an entity of the document's own register
       (a play's particDesc, a letter's listPerson), that id within the document (plays
       share ids like 'anton' for different people); a safe id made from an unresolved
       reference; for a work named without a reference, one made from its title. -->
  <xsl:function name="st:entry-id" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="entity" select="st:entity($e)"/>
    <xsl:variable name="ref" select="tokenize(st:pointer($e))[1]"/>
    <xsl:sequence select="if ($entity) then st:entity-entry-id($entity)
        else if ($ref != '') then
            'ref-' || replace(replace($ref, '^.*[#/]', ''), '[^A-Za-z0-9_\-]', '-')
        else if (st:kind($e) = 'work' and st:plain($e) != '') then
            'work-' || encode-for-uri(lower-case(replace(st:plain($e), '[\p{P}\p{S}\s]+', '-')))
                ! replace(., '%', '_')
        else ()"/>
  </xsl:function>

  <xsl:function name="st:entity-entry-id" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="if (exists($authority) and root($entity) is $authority)
        then string($entity/@xml:id) else st:docid($entity) || '.' || $entity/@xml:id"/>
  </xsl:function>

  <xsl:function name="st:preferred" as="element()?">
    <xsl:param name="entity" as="element()"/>
    <xsl:variable name="names" select="$entity/(tei:persName | tei:placeName | tei:orgName
        | tei:title | tei:analytic/tei:title | tei:monogr/tei:title)"/>
    <xsl:sequence select="($names[@type = 'preferred'], $names)[1]"/>
  </xsl:function>

  <xsl:function name="st:entity-name" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:variable name="name" select="st:preferred($entity)"/>
    <xsl:sequence select="if ($name) then st:plain($name)
        else if ($entity/self::tei:role and st:plain($entity) != '') then st:plain($entity)
        else string($entity/@xml:id)"/>
  </xsl:function>

  <!-- Years of life, e.g. '1869–1951', '1869–', '–1951', or ''. -->
  <xsl:function name="st:life" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:variable name="birth" select="st:year($entity/tei:birth[1])"/>
    <xsl:variable name="death" select="st:year($entity/tei:death[1])"/>
    <xsl:sequence select="if ($birth = '' and $death = '') then '' else $birth || '–' || $death"/>
  </xsl:function>

  <xsl:function name="st:year" as="xs:string">
    <xsl:param name="event" as="element()?"/>
    <xsl:variable name="value" select="string(($event/@when, $event/@notBefore, $event/@from)[1])"/>
    <xsl:sequence select="if (matches($value, '^-?\d{4}')) then replace($value, '^(-?\d{4}).*$', '$1')
        else if ($event) then st:plain($event) else ''"/>
  </xsl:function>

  <xsl:function name="st:identification" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:variable name="notes" select="$entity/tei:note"/>
    <xsl:sequence select="string(($notes[@type = 'identification'], $notes)[1] ! st:plain(.))"/>
  </xsl:function>

  <!-- One line: 'André Gide (1869–1951): French writer.' -->
  <xsl:function name="st:summary" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:variable name="life" select="st:life($entity)"/>
    <xsl:variable name="ident" select="st:identification($entity)"/>
    <xsl:sequence select="st:entity-name($entity)
        || (if ($life) then ' (' || $life || ')' else '')
        || (if ($ident) then ': ' || $ident else '')"/>
  </xsl:function>

  <!-- ===== plain strings ===== -->

  <!-- The source's reading as one normalised string: no corrections, supplied words or notes. -->
  <xsl:function name="st:plain" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$node ! (if (. instance of element()) then node() else .)"
          mode="st:plain"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <xsl:mode name="st:plain" on-no-match="text-only-copy"/>
  <xsl:template match="tei:corr | tei:reg | tei:supplied | tei:note | tei:expan[../tei:abbr]"
      mode="st:plain"/>

  <!-- ===== word boundaries ===== -->

  <!-- Where a line, page or column ends inside a word (break="no"), the white space that
       pretty-printing put around the break is not a word boundary: 'Suc' + 'cessus'. -->
  <xsl:function name="st:in-word-break" as="xs:boolean">
    <xsl:param name="n" as="node()?"/>
    <xsl:sequence select="exists($n[self::tei:lb | self::tei:pb | self::tei:cb]
        [@break = 'no' or @type = 'inWord'])"/>
  </xsl:function>

  <!-- A text node next to such a break, as a pattern (_match): it is tried on every text
       node, and two calls of st:in-word-break there cost twice as much. -->
  <xsl:variable name="st:in-word-break-step" static="yes" as="xs:string"
      select="'[self::tei:lb | self::tei:pb | self::tei:cb][@break = ''no'' or @type = ''inWord'']'"/>
  <xsl:variable name="st:beside-in-word-break" static="yes" as="xs:string"
      select="'text()[$st:in-word-breaks or not(root(.) is $st:source)]'
          || '[following-sibling::node()[1]' || $st:in-word-break-step
          || ' or preceding-sibling::node()[1]' || $st:in-word-break-step || ']'"/>

  <!-- Whether the document transformed has any break inside a word: most have none, and then
       its text nodes need not look at their neighbours (a preceding sibling is found by a
       walk through its parent's children from the first). -->
  <xsl:variable name="st:in-word-breaks" as="xs:boolean"
      select="exists($st:source//(tei:lb | tei:pb | tei:cb)[@break = 'no' or @type = 'inWord'])"/>

  <xsl:function name="st:trim-at-breaks" as="xs:string">
    <xsl:param name="t" as="text()"/>
    <xsl:variable name="before" select="st:in-word-break($t/following-sibling::node()[1])"/>
    <xsl:variable name="after" select="st:in-word-break($t/preceding-sibling::node()[1])"/>
    <xsl:sequence select="string($t) ! (if ($before) then replace(., '\s+$', '') else .)
        ! (if ($after) then replace(., '^\s+', '') else .)"/>
  </xsl:function>

  <!-- The parts of a name, a bibliographic record, an address, a cast item, an apparatus
       entry or a substitution are fields: where the source puts two of them side by side
       with no white space between ('<forename>Charles</forename><surname>Dickens'), they
       are still two words. -->
  <!-- As a pattern (_match), the cheapest test first: it is tried on every element. -->
  <xsl:variable name="st:field-before-field" static="yes" as="xs:string" select="'*
      [following-sibling::node()[1] instance of element()]
      [parent::*[self::tei:persName | self::tei:placeName | self::tei:orgName
          | self::tei:name | self::tei:bibl | self::tei:biblStruct | self::tei:analytic
          | self::tei:monogr | self::tei:imprint | self::tei:series | self::tei:address
          | self::tei:castItem | self::tei:castGroup | self::tei:app | self::tei:rdgGrp
          | self::tei:subst | self::tei:respStmt | self::tei:dateline | self::tei:docImprint
          | self::tei:byline | self::tei:titlePart | self::tei:docTitle | self::tei:signed
          | self::tei:msIdentifier | self::tei:roleName]]
      [not(following-sibling::node()[1][self::tei:note | self::tei:lb | self::tei:pb
          | self::tei:cb | self::tei:anchor | self::tei:milestone | self::tei:pc])]
      [not(self::tei:lb | self::tei:pb | self::tei:cb | self::tei:anchor
          | self::tei:milestone)]'"/>

  <xsl:template _match="{$st:beside-in-word-break}" mode="st:plain" priority="1">
    <xsl:value-of select="st:trim-at-breaks(.)"/>
  </xsl:template>
  <xsl:template _match="{$st:field-before-field}" mode="st:plain" priority="10">
    <xsl:next-match/>
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:space | tei:lb[not(st:in-word-break(.))]" mode="st:plain">
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- ===== safety ===== -->

  <!-- The link target of a data-driven pointer (@target, @url, a URL written as text), or ()
       when it must stay inert. A list of pointers links to its first. The whole value is also
       judged as a browser would read it, with tab, CR and LF dropped anywhere and leading
       controls and spaces trimmed, so that 'java&#9;script:' gives no link at all (not even
       one to 'java'). -->
  <xsl:function name="st:href" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="first" select="string(tokenize(normalize-space($value))[1])"/>
    <xsl:variable name="as-browsed" select="replace(replace(string($value), '[&#9;&#10;&#13;]', ''),
        '^[\p{C}\p{Z}]+', '')"/>
    <xsl:sequence select="$first[st:safe-href(.)
        and st:safe-href(string(tokenize($as-browsed)[1]))]"/>
  </xsl:function>

  <!-- True for one http, https or mailto URL or a relative reference: no scheme before the first
       '/', '?' or '#', no whitespace, control, format or bidi character, no backslash, no '//'
       start (another host), no character that could end an attribute or a tag. -->
  <xsl:function name="st:safe-href" as="xs:boolean">
    <xsl:param name="url" as="xs:string"/>
    <xsl:sequence select="$url != ''
        and not(matches($url, '[\s\p{C}\\&lt;&gt;&quot;`]|^//'))
        and (matches($url, '^(https?://|mailto:)', 'i')
             or not(matches($url, '^[^/?#]*:')))"/>
  </xsl:function>

  <xsl:function name="st:lang-ok" as="xs:boolean">
    <xsl:param name="lang" as="xs:string?"/>
    <xsl:sequence select="st:bcp47($lang) != ''"/>
  </xsl:function>

  <!-- The classes for an element's @rend tokens and @rendition pointers ('#b', '#aq') that we
       know; a rend value in CSS syntax is never copied. -->
  <xsl:function name="st:rend" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="distinct-values((tokenize(lower-case(string($e/@rend))),
        tokenize(lower-case(string($e/@rendition))) ! replace(., '^#', ''))
        ! $st:rend-classes(.))"/>
  </xsl:function>

  <!-- ===== dates ===== -->

  <!-- A valid HTML datetime value for a TEI dating element, or '' when there is none. -->
  <xsl:function name="st:datetime" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="iso" select="'^\d{4}(-\d{2}(-\d{2})?)?$'"/>
    <xsl:variable name="when" select="string($date/@when)"/>
    <xsl:variable name="low" select="string(($date/@from, $date/@notBefore)[1])"/>
    <xsl:variable name="high" select="string(($date/@to, $date/@notAfter)[1])"/>
    <xsl:sequence select="if (matches($when, $iso)) then $when
        else if (matches($low, $iso) and matches($high, $iso)) then st:common-date($low, $high)
        else ''"/>
  </xsl:function>

  <!-- The most precise ISO date both bounds share: 1936-11-16 / 1936-11-30 gives 1936-11. -->
  <xsl:function name="st:common-date" as="xs:string">
    <xsl:param name="low" as="xs:string"/>
    <xsl:param name="high" as="xs:string"/>
    <xsl:variable name="a" select="tokenize($low, '-')"/>
    <xsl:variable name="b" select="tokenize($high, '-')"/>
    <xsl:sequence select="string-join(for $i in 1 to min((count($a), count($b)))
        return (if (every $j in 1 to $i satisfies $a[$j] = $b[$j]) then $a[$i] else ()), '-')"/>
  </xsl:function>

  <!-- Human-readable bounds of a date range, for a tooltip. -->
  <xsl:function name="st:date-range" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="low" select="string(($date/@from, $date/@notBefore)[1])"/>
    <xsl:variable name="high" select="string(($date/@to, $date/@notAfter)[1])"/>
    <xsl:sequence select="if ($low or $high) then normalize-space(
        (if ($low) then 'from ' || $low else '') || (if ($high) then ' to ' || $high else ''))
        else ''"/>
  </xsl:function>

</xsl:stylesheet>
