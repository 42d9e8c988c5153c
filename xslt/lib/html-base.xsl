<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared helpers of the TEI-to-HTML modules: the modes, the class/lang attributes of
  an output element, block detection, heading levels, division ids, note numbers and
  labels. Included by tei-html.xsl.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:mode name="st:html" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:notes" on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:bibl" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:toc" on-no-match="fail" use-accumulators="#all"/>

  <!-- The content of a division, a speech, a verse group... (the containers documents are
       made of) rendered as a block: it stands where HTML allows flow content, so its blocks
       are rendered as blocks without asking st:inline-context, which walks up all the
       ancestors and, asked of each of a play's thousands of speeches, speakers and
       paragraphs, cost more than any other part of the transform. The templates of those
       blocks take this mode as well as st:html, and choose the mode of their own content
       (st:flow only for such containers); anything else goes on in st:html, as if met
       there. -->
  <xsl:mode name="st:flow" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:template match="*" mode="st:flow" priority="-10">
    <xsl:apply-templates select="." mode="st:html"/>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <!-- id (the source's xml:id, see st:html-id), class (fixed base plus known @rend tokens)
       and lang (xml:lang as BCP 47) on the current output element. -->
  <xsl:template name="st:attrs">
    <xsl:param name="class" as="xs:string*" select="()"/>
    <xsl:param name="source" as="element()" select="."/>
    <xsl:choose>
      <!-- most elements have none of these attributes, and this runs for nearly all -->
      <xsl:when test="empty($source/(@xml:id | @rend | @rendition | @xml:lang))">
        <xsl:if test="exists($class)">
          <xsl:attribute name="class" select="distinct-values($class)" separator=" "/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="st:keeps-xml-id($source)">
          <xsl:attribute name="id" select="$source/@xml:id"/>
        </xsl:if>
        <xsl:variable name="classes" select="distinct-values(($class, st:rend($source)))"/>
        <xsl:if test="exists($classes)">
          <xsl:attribute name="class" select="$classes" separator=" "/>
        </xsl:if>
        <xsl:if test="$source/@xml:lang and st:lang-ok($source/@xml:lang)">
          <xsl:attribute name="lang" select="st:bcp47($source/@xml:lang)"/>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whether an element's HTML carries its xml:id as it is: not those that get an id of
       their own (names, notes, divisions, speeches) nor those rendered inside another
       element's annotation (a correction's readings, an apparatus entry's). -->
  <xsl:function name="st:keeps-xml-id" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/@xml:id) and not($e[self::tei:persName | self::tei:placeName
        | self::tei:orgName | self::tei:name | self::tei:rs | self::tei:title[@ref] | self::tei:note
        | self::tei:div | self::tei:div1 | self::tei:div2 | self::tei:div3 | self::tei:div4
        | self::tei:div5 | self::tei:div6 | self::tei:div7 | self::tei:floatingText])
        and not($e/ancestor::tei:choice or $e/ancestor::tei:app)"/>
  </xsl:function>

  <!-- The HTML id by which an element of the text can be reached, or () when it has none:
       what an internal pointer (ref/@target='#x') links to. -->
  <xsl:function name="st:html-id" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:apply-templates select="$e" mode="st:html-id"/>
  </xsl:function>

  <xsl:mode name="st:html-id" on-no-match="shallow-skip" use-accumulators="#all"/>
  <xsl:template match="tei:teiHeader//* | tei:standOff//*" mode="st:html-id" priority="5"/>
  <xsl:template match="tei:note[not(st:is-marginal(.))]" mode="st:html-id" as="xs:string">
    <xsl:sequence select="'fn' || st:note-number(.)"/>
  </xsl:template>
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6
      | tei:div7 | tei:floatingText" mode="st:html-id" as="xs:string">
    <xsl:sequence select="st:div-id(.)"/>
  </xsl:template>
  <xsl:template _match="{$st:names}" mode="st:html-id" as="xs:string">
    <xsl:sequence select="st:anchor(.)"/>
  </xsl:template>
  <xsl:template match="tei:sp" mode="st:html-id" as="xs:string" priority="2">
    <xsl:sequence select="st:speech-anchor(.)"/>
  </xsl:template>
  <!-- Inside an annotation: the annotated reading's place in the text. -->
  <xsl:template match="tei:choice//* | tei:app//*" mode="st:html-id" as="xs:string?" priority="3">
    <xsl:sequence select="st:html-id((ancestor::tei:choice | ancestor::tei:app)[1])"/>
  </xsl:template>
  <xsl:template match="tei:choice | tei:app" mode="st:html-id" as="xs:string?" priority="2">
    <xsl:sequence select="if (@xml:id) then string(@xml:id)
        else (ancestor::*[@xml:id][1] ! st:html-id(.))"/>
  </xsl:template>
  <!-- The editor's commentary is listed apart (html-annotations.xsl): a commentary note is
       reached there, the rest of a division of such notes nowhere. -->
  <xsl:template match="tei:note[@type = 'commentary']" mode="st:html-id" as="xs:string"
      priority="4">
    <xsl:sequence select="st:commentary-id(.)"/>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'commentary'][st:is-commentary-list(.)]
      | tei:div[@type = 'commentary'][st:is-commentary-list(.)]//*
          [not(ancestor::tei:note[@type = 'commentary'])]" mode="st:html-id" priority="3.5"/>
  <xsl:template match="*[@xml:id]" mode="st:html-id" as="xs:string" priority="-1">
    <xsl:sequence select="string(@xml:id)"/>
  </xsl:template>

  <!-- The language in scope at a node (its nearest xml:lang, as BCP 47), or $default. -->
  <xsl:function name="st:lang-of" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="default" as="xs:string"/>
    <xsl:variable name="lang" select="st:bcp47(string(($node/ancestor-or-self::*/@xml:lang)[last()]))"/>
    <xsl:sequence select="if ($lang != '') then $lang else $default"/>
  </xsl:function>

  <!-- ===== block or phrase ===== -->

  <!-- Whether an element stands where HTML allows only phrasing content (inside a p, a
       heading, a span...): there a block of the source (a stage direction in a verse
       line, a list in a highlighted phrase) is rendered as a span, so that no p is ever
       nested in a p. The walk stops at the note the element belongs to (notes are
       rendered apart, in a list). -->
  <xsl:function name="st:inline-context" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- Asked of every block of a document, for each of its ancestors: the containers most
         documents are made of are passed over with one cheap test before st:is-flow. -->
    <xsl:sequence select="some $a in $e/ancestor::*[not(self::tei:div | self::tei:sp
        | self::tei:lg | self::tei:body | self::tei:text | self::tei:TEI)][not(st:is-flow(.))]
        satisfies (let $note := $e/ancestor::tei:note[not(st:is-marginal(.))][1]
            return empty($note) or $a &gt;&gt; $note)"/>
  </xsl:function>

  <!-- Elements rendered as HTML flow containers (div, section, li, td, blockquote...). -->
  <xsl:function name="st:is-flow" as="xs:boolean">
    <xsl:param name="a" as="element()"/>
    <xsl:sequence select="exists($a[self::tei:TEI | self::tei:teiCorpus | self::tei:text
        | self::tei:front | self::tei:body | self::tei:back | self::tei:group | self::tei:div
        | self::tei:div1 | self::tei:div2 | self::tei:div3 | self::tei:div4 | self::tei:div5
        | self::tei:div6 | self::tei:div7 | self::tei:floatingText | self::tei:lg | self::tei:sp
        | self::tei:list | self::tei:item | self::tei:castList | self::tei:castGroup
        | self::tei:castItem | self::tei:table | self::tei:row | self::tei:cell | self::tei:figure
        | self::tei:opener | self::tei:closer | self::tei:postscript | self::tei:epigraph
        | self::tei:argument | self::tei:trailer | self::tei:titlePage | self::tei:docTitle
        | self::tei:byline | self::tei:docImprint | self::tei:signed | self::tei:salute
        | self::tei:dateline | self::tei:docAuthor | self::tei:docDate | self::tei:titlePart
        | self::tei:set | self::tei:address | self::tei:note[not(st:is-marginal(.))]
        | self::tei:listBibl | self::tei:listPerson | self::tei:listPlace | self::tei:listOrg
        | self::tei:listWit | self::tei:performance | self::tei:prologue | self::tei:epilogue
        | self::tei:spGrp])
        or ($a[self::tei:p | self::tei:ab | self::tei:q | self::tei:quote | self::tei:said
            | self::tei:cit] and st:has-block($a))"/>
  </xsl:function>

  <!-- A note the source places in the margin (or beside the text): shown where it stands. -->
  <xsl:function name="st:is-marginal" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@place = ('margin', 'marginLeft', 'marginRight', 'margin-left',
        'margin-right', 'left', 'right', 'marginOuter', 'marginInner', 'inline', 'inspace')"/>
  </xsl:function>

  <!-- The notes listed apart (footnotes, endnotes): all but those shown where they stand. -->
  <xsl:function name="st:listed-notes" as="element(tei:note)*">
    <xsl:param name="text" as="element()*"/>
    <xsl:sequence select="$text//tei:note[not(st:is-marginal(.))]"/>
  </xsl:function>

  <!-- ===== word boundaries ===== -->

  <xsl:template _match="{$st:beside-in-word-break}" mode="st:html st:flow"
      priority="1">
    <xsl:value-of select="st:trim-at-breaks(.)"/>
  </xsl:template>

  <xsl:template _match="{$st:field-before-field}" mode="st:html st:bibl st:bibl-inline"
      priority="10">
    <xsl:next-match/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Elements that become HTML blocks: an element holding one is rendered as a div, not a p. -->
  <xsl:function name="st:has-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- one walk over the descendants, each tested by name (a union of child steps under //
         walks the children once for each name) -->
    <xsl:sequence select="exists($e/descendant::*[self::tei:p | self::tei:ab | self::tei:lg
        | self::tei:l | self::tei:list | self::tei:table | self::tei:sp | self::tei:div
        | self::tei:head | self::tei:castList | self::tei:figure | self::tei:floatingText
        | self::tei:opener | self::tei:closer | self::tei:speaker]
        [not(ancestor::tei:note except $e/ancestor-or-self::tei:note)])"/>
  </xsl:function>

  <xsl:function name="st:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <!-- front and back add a level only when they have a heading of their own. -->
    <!-- given a division rather than a head: the level of the division's own head -->
    <xsl:sequence select="min((6, 1 + count($head/ancestor-or-self::tei:div
        | $head/ancestor-or-self::tei:castList | $head/ancestor::tei:front[tei:head]
        | $head/ancestor::tei:back[tei:head])))"/>
  </xsl:function>

  <!-- A division's id: its xml:id, else 'div' and 1 + the number of divisions (tei:div)
       that start before it. Counted by xsl:number for a div1...div7 or floatingText (which
       counts itself on top) and for a div of another document; for those of the document
       being transformed, read from a table made once (the preceding axis joined with the
       ancestors, for each division, cost a hundred times as much). -->
  <xsl:function name="st:div-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="string(($div/@xml:id, 'div' || (
        if ($div/self::tei:div and root($div) is $st:source)
        then $st:div-numbers(generate-id($div)) else st:divs-before($div) + 1))[1])"/>
  </xsl:function>

  <xsl:variable name="st:div-numbers" as="map(xs:string, xs:integer)"
      select="map:merge($st:source//tei:div ! map{generate-id(.): position()})"/>

  <xsl:function name="st:divs-before" as="xs:integer">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="n" as="xs:string">
      <xsl:number select="$e" level="any" count="tei:div"/>
    </xsl:variable>
    <xsl:sequence select="xs:integer(($n[. != ''], '0')[1]) - (if ($e/self::tei:div) then 1 else 0)"/>
  </xsl:function>

  <!-- A naming element is annotated (a link to its index entry in a site, a focusable
       mention on a page that stands alone) when it resolves, and no enclosing name or ref
       is one already. -->
  <xsl:function name="st:linked" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- asked of every name, in patterns: the reference is resolved once here -->
    <xsl:variable name="entity" select="st:entity($e)"/>
    <xsl:sequence select="exists($entity)
        and map:contains($st:index-pages, ($st:kind-of-entity(local-name($entity)), '')[1])
        and not($e/ancestor::*[self::tei:persName | self::tei:placeName | self::tei:orgName
            | self::tei:name | self::tei:rs | self::tei:title[@ref]][exists(st:entity(.))])
        and not($e/ancestor::tei:ref)"/>
  </xsl:function>

  <!-- Notes: the id of the note and its visible label. -->
  <xsl:function name="st:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="n" as="xs:string">
      <!-- counted through a whole teiCorpus, so that ids stay unique on its one page -->
      <xsl:number select="$note" level="any"
          count="tei:text//tei:note[not(st:is-marginal(.))]"/>
    </xsl:variable>
    <xsl:sequence select="xs:integer($n)"/>
  </xsl:function>

  <xsl:function name="st:note-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:apply-templates select="$note" mode="st:note-label"/>
  </xsl:function>

  <xsl:mode name="st:note-label" on-no-match="fail"/>
  <xsl:template match="tei:note[normalize-space(translate(@n, '[]()', ''))]" mode="st:note-label"
      as="xs:string" priority="3">
    <xsl:sequence select="normalize-space(translate(@n, '[]()', ''))"/>
  </xsl:template>
  <xsl:template match="tei:note[@type = 'editorial']" mode="st:note-label" as="xs:string"
      priority="2">
    <xsl:variable name="n" as="xs:string">
      <xsl:number level="any" count="tei:note[@type = 'editorial'][not(st:is-marginal(.))]"
          from="tei:text"/>
    </xsl:variable>
    <xsl:sequence select="'e' || $n"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="st:note-label" as="xs:string">
    <xsl:number level="any" from="tei:text"
        count="tei:note[not(@type = 'editorial')][not(normalize-space(translate(@n, '[]()', '')))]
            [not(st:is-marginal(.))]"/>
  </xsl:template>

</xsl:stylesheet>
