<?xml version="1.0" encoding="UTF-8"?>
<!--
  The plain text of one TEI document, in Unicode NFC: a short header, the
  reading text (paragraphs separated by one blank line, verse lines by a line
  break), then the notes. The source's own reading is kept; an editorial
  correction, regularisation or supplied word follows it in square brackets, as do
  the other readings of an apparatus entry ('lemma [B: reading]') or an alternative.
  Markup of the transcription in the signs editors know (Leiden): deletions ⟦x⟧,
  additions \x/, surplus {x}, expansions (x), unclear x(?), gaps […], page and column
  breaks [n]. Every word of <text> is there, in order, and element edges are word
  boundaries where the source means them to be (names' parts, bibliographic fields,
  address lines, space, apparatus readings), never where it does not (break="no").
  Each TEI of a teiCorpus follows the one before.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/tei-html.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:variable name="st:header-rule" as="xs:string" select="string-join((1 to 40) ! '=')"/>
  <xsl:variable name="st:notes-rule" as="xs:string" select="string-join((1 to 40) ! '-')"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:blocks" on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:inline" on-no-match="text-only-copy" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="tei:TEI | tei:teiCorpus"/>
    </xsl:variable>
    <xsl:value-of select="normalize-unicode(string-join($parts[. != ''], '&#10;&#10;'), 'NFC')
        || '&#10;'"/>
  </xsl:template>

  <!-- A corpus: its header, then each of its documents (nested corpora too). -->
  <xsl:template match="tei:teiCorpus" as="xs:string*">
    <xsl:sequence select="st:header(.), $st:header-rule"/>
    <xsl:apply-templates select="tei:TEI | tei:teiCorpus"/>
  </xsl:template>

  <!-- The editor's commentary follows the notes under its own heading, as on the page. -->
  <xsl:template match="tei:TEI" as="xs:string*">
    <xsl:variable name="notes" select="st:listed-notes(tei:text)[not(@type = 'commentary')]"/>
    <xsl:variable name="commentary" select="tei:text//tei:note[@type = 'commentary']"/>
    <xsl:sequence select="
        st:header(.),
        $st:header-rule,
        st:paragraphs(tei:text),
        if ($notes) then ($st:notes-rule || '&#10;Notes', $notes ! st:note-text(.)) else (),
        if ($commentary) then ($st:notes-rule || '&#10;'
            || (st:commentary-head($commentary) ! st:plain(.), 'Editor’s commentary')[1],
            $commentary ! st:commentary-text(.)) else ()"/>
  </xsl:template>

  <!-- ===== header ===== -->

  <xsl:function name="st:header" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:variable name="source" as="node()*">
      <xsl:apply-templates select="$file/tei:sourceDesc" mode="st:bibl"/>
    </xsl:variable>
    <xsl:variable name="pub" select="$file/tei:publicationStmt"/>
    <xsl:variable name="lines" as="xs:string*" select="(
        st:doc-title($tei),
        $file/tei:titleStmt/tei:title[@type = 'sub'] ! st:plain(.),
        string-join($file/tei:titleStmt/tei:author ! st:person-name(.), '; ') ! ('Author: ' || .),
        (: one line per record: the source, then its related items ('Also: ...') :)
        ($source ! normalize-space(.))[. != ''] ! (if (position() = 1) then 'Source: ' || . else .),
        string-join((($pub/tei:publisher, $pub/tei:authority)[1] ! st:plain(.),
            string(($pub/tei:date/@when, $pub/tei:date)[1])), ', ') ! ('Edition: ' || .))"/>
    <xsl:sequence select="string-join($lines[not(matches(., '^[A-Za-z]+: $'))][. != ''], '&#10;')"/>
  </xsl:function>

  <!-- ===== blocks ===== -->

  <!-- The text's blocks: paragraphs joined by a blank line, adjacent verse lines by a line break.
       The blocks are children of one temporary document: a sequence of parentless elements
       would make a tree per block (4.7 GB for a million one-word paragraphs). -->
  <xsl:function name="st:paragraphs" as="xs:string*">
    <xsl:param name="node" as="node()*"/>
    <xsl:variable name="blocks" as="document-node()">
      <xsl:document><xsl:apply-templates select="$node" mode="st:blocks"/></xsl:document>
    </xsl:variable>
    <xsl:for-each-group select="$blocks/*[normalize-space()]" group-adjacent="boolean(self::st:line)">
      <xsl:sequence select="if (current-grouping-key())
          then string-join(current-group(), '&#10;') else current-group() ! string(.)"/>
    </xsl:for-each-group>
  </xsl:function>

  <!-- Elements whose presence makes an element a container of blocks rather than a block. -->
  <xsl:function name="st:has-text-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- one walk over the descendants, each tested by name (a union of child steps under //
         walks the children once for each name): asked of every element -->
    <xsl:sequence select="exists($e/descendant::*[self::tei:p | self::tei:ab | self::tei:lg
        | self::tei:l | self::tei:head | self::tei:list | self::tei:item | self::tei:table
        | self::tei:row | self::tei:sp | self::tei:speaker | self::tei:castList
        | self::tei:castItem | self::tei:div | self::tei:titlePart | self::tei:docAuthor
        | self::tei:docImprint | self::tei:byline | self::tei:dateline | self::tei:opener
        | self::tei:closer | self::tei:salute | self::tei:signed | self::tei:trailer
        | self::tei:epigraph | self::tei:argument | self::tei:figure | self::tei:floatingText
        | self::tei:docDate | self::tei:label | self::tei:address | self::tei:addrLine
        | self::tei:postscript | self::tei:stage[not(st:inline-context(.))]]
        [not(ancestor::tei:note except $e/ancestor-or-self::tei:note)])"/>
  </xsl:function>

  <xsl:template match="*" mode="st:blocks">
    <st:block><xsl:value-of select="st:inline(.)"/></st:block>
  </xsl:template>

  <xsl:template match="*[st:has-text-block(.)]" mode="st:blocks" priority="1">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="text()[normalize-space()]" mode="st:blocks">
    <st:block><xsl:value-of select="normalize-space()"/></st:block>
  </xsl:template>

  <!-- White space between blocks makes no block (st:paragraphs leaves out empty ones): not
       built, as it is most of the text nodes of a document. -->
  <xsl:template match="text()" mode="st:blocks"/>

  <xsl:template match="tei:l" mode="st:blocks" priority="2">
    <st:line><xsl:value-of select="st:inline(.)"/></st:line>
  </xsl:template>

  <xsl:template match="tei:lg[not(tei:lg)]" mode="st:blocks" priority="2">
    <st:block>
      <xsl:value-of select="string-join(st:paragraphs(node()), '&#10;')"/>
    </st:block>
  </xsl:template>

  <!-- An opener or closer is one block: '– Ed.' stays together. -->
  <xsl:template match="tei:opener[not(tei:p)] | tei:closer[not(tei:p)]" mode="st:blocks"
      priority="2">
    <st:block><xsl:value-of select="st:inline(.)"/></st:block>
  </xsl:template>

  <xsl:template match="tei:item | tei:castItem | tei:addrLine | tei:list/tei:label"
      mode="st:blocks" priority="2">
    <st:line><xsl:value-of select="'- ' || st:inline(.)"/></st:line>
  </xsl:template>

  <xsl:template match="tei:addrLine | tei:list/tei:label" mode="st:blocks" priority="3">
    <st:line><xsl:value-of select="st:inline(.)"/></st:line>
  </xsl:template>

  <!-- A division of an inscription's edition (EpiDoc) headed by its kind, as on the page. -->
  <xsl:template match="tei:div[$st:div-headings(string(@type))][not(tei:head)]"
      mode="st:blocks" priority="2">
    <st:block><xsl:value-of select="$st:div-headings(string(@type))"/></st:block>
    <xsl:next-match/>
  </xsl:template>

  <xsl:template match="tei:row" mode="st:blocks" priority="2">
    <st:line><xsl:value-of select="string-join(tei:cell ! st:inline(.), ' | ')"/></st:line>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction() | tei:note[not(st:is-marginal(.))]
      | tei:teiHeader | tei:lb | tei:milestone | tei:anchor | tei:graphic | tei:divGen
      | tei:index | tei:interpGrp | tei:spanGrp | tei:linkGrp | tei:fs | tei:handShift"
      mode="st:blocks" priority="3"/>

  <!-- The editor's commentary is listed after the notes (see tei:TEI above). -->
  <xsl:template match="tei:div[@type = 'commentary'][st:is-commentary-list(.)]" mode="st:blocks"
      priority="3"/>

  <xsl:template match="tei:pb | tei:cb" mode="st:blocks" priority="3">
    <xsl:if test="normalize-space(@n)">
      <st:block><xsl:value-of select="'[' || normalize-space(@n) || ']'"/></st:block>
    </xsl:if>
  </xsl:template>

  <!-- ===== inline ===== -->

  <xsl:function name="st:inline" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$e/node()" mode="st:inline"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <xsl:template match="tei:note" mode="st:inline">
    <xsl:sequence select="' [' || st:note-label(.) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:choice[tei:corr | tei:reg]" mode="st:inline">
    <xsl:apply-templates select="(tei:sic, tei:orig)[1]/node()" mode="#current"/>
    <xsl:sequence select="' [' || st:inline((tei:corr, tei:reg)[1]) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="st:inline">
    <xsl:apply-templates select="tei:abbr[1]/node()" mode="#current"/>
    <xsl:sequence select="' [' || st:inline(tei:expan[1]) || ']'"/>
  </xsl:template>

  <!-- Alternatives: the first, then the others in brackets. -->
  <xsl:template match="tei:choice" mode="st:inline" priority="-1">
    <xsl:apply-templates select="*[1]/node()" mode="#current"/>
    <xsl:sequence select="' [' || string-join(subsequence(*, 2) ! st:inline(.), '; ') || ']'"/>
  </xsl:template>

  <!-- An apparatus entry: the lemma, then the readings with their witnesses in brackets. -->
  <xsl:template match="tei:app" mode="st:inline">
    <xsl:variable name="readings" select="tei:lem | tei:rdg | tei:rdgGrp/tei:rdg
        | tei:rdgGrp/tei:lem"/>
    <xsl:variable name="shown" select="($readings[self::tei:lem], $readings)[1]"/>
    <xsl:variable name="others" select="$readings except $shown"/>
    <xsl:apply-templates select="$shown/node()" mode="#current"/>
    <xsl:if test="$others">
      <xsl:sequence select="' [' || string-join($others ! st:reading-text(.), '; ') || ']'"/>
    </xsl:if>
    <xsl:apply-templates select="tei:note" mode="#current"/>
  </xsl:template>

  <!-- 'B C: reading', or 'B: om.' for a reading that leaves the words out. -->
  <xsl:function name="st:reading-text" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="words" select="st:inline($reading)"/>
    <xsl:sequence select="normalize-space(string-join((st:sigla($reading)[. != ''] ! (. || ':'),
        if ($words != '') then $words else 'om.'), ' '))"/>
  </xsl:function>

  <xsl:template match="tei:supplied" mode="st:inline">
    <xsl:sequence select="'[' || st:inline(.) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:surplus | tei:secl" mode="st:inline">
    <xsl:sequence select="'{' || st:inline(.) || '}'"/>
  </xsl:template>

  <xsl:template match="tei:del" mode="st:inline">
    <xsl:sequence select="'⟦' || st:inline(.) || '⟧'"/>
  </xsl:template>

  <xsl:template match="tei:add" mode="st:inline">
    <xsl:sequence select="'\' || st:inline(.) || '/'"/>
  </xsl:template>

  <xsl:template match="tei:ex" mode="st:inline">
    <xsl:sequence select="'(' || st:inline(.) || ')'"/>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="st:inline">
    <xsl:apply-templates mode="#current"/>
    <xsl:sequence select="'(?)'"/>
  </xsl:template>

  <xsl:template match="tei:gap" mode="st:inline">
    <xsl:sequence select="'[…]'"/>
  </xsl:template>

  <xsl:template match="tei:space" mode="st:inline">
    <xsl:sequence select="' '"/>
  </xsl:template>

  <!-- A note in the margin stays where it stands. -->
  <xsl:template match="tei:note[st:is-marginal(.)]" mode="st:inline" priority="2">
    <xsl:sequence select="' [margin: ' || st:inline(.) || '] '"/>
  </xsl:template>

  <xsl:template match="tei:note[st:is-marginal(.)]" mode="st:blocks" priority="4">
    <st:block><xsl:value-of select="'[margin: ' || st:inline(.) || ']'"/></st:block>
  </xsl:template>

  <xsl:template match="tei:lb[st:in-word-break(.)] | tei:pb[st:in-word-break(.)]
      | tei:cb[st:in-word-break(.)] | tei:milestone | tei:anchor | tei:graphic | tei:index
      | tei:interpGrp | tei:spanGrp | tei:linkGrp | tei:fs | tei:handShift" mode="st:inline"/>

  <xsl:template match="tei:lb" mode="st:inline">
    <xsl:sequence select="' '"/>
  </xsl:template>

  <xsl:template match="tei:pb | tei:cb" mode="st:inline">
    <xsl:sequence select="if (normalize-space(@n)) then ' [' || normalize-space(@n) || '] '
        else ' '"/>
  </xsl:template>

  <xsl:template _match="{$st:beside-in-word-break}" mode="st:inline" priority="1">
    <xsl:sequence select="st:trim-at-breaks(.)"/>
  </xsl:template>

  <!-- Fields side by side (forename and surname, a record's parts) are words apart. -->
  <xsl:template _match="{$st:field-before-field}" mode="st:inline" priority="10">
    <xsl:next-match/>
    <xsl:sequence select="' '"/>
  </xsl:template>

  <!-- Blocks met inside a note or a phrase stay apart from their neighbours. -->
  <xsl:template match="tei:p | tei:ab | tei:l | tei:lg | tei:head | tei:item | tei:sp
      | tei:speaker | tei:stage | tei:cell | tei:addrLine | tei:label | tei:row | tei:list
      | tei:table | tei:castItem | tei:figure | tei:figDesc | tei:opener | tei:closer
      | tei:dateline | tei:salute | tei:signed | tei:postscript | tei:address" mode="st:inline">
    <xsl:sequence select="' '"/>
    <xsl:apply-templates mode="#current"/>
    <xsl:sequence select="' '"/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="st:inline"/>

  <!-- ===== notes ===== -->

  <xsl:function name="st:commentary-text" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="inner" as="xs:string*">
      <xsl:apply-templates select="$note/node()" mode="st:inline"/>
    </xsl:variable>
    <xsl:sequence select="'[c' || st:commentary-number($note) || '] '
        || normalize-space(string-join($inner))"/>
  </xsl:function>

  <xsl:function name="st:note-text" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="inner" as="xs:string*">
      <xsl:apply-templates select="$note/node()" mode="st:inline"/>
    </xsl:variable>
    <xsl:sequence select="'[' || st:note-label($note) || '] '
        || ('(Editorial note) '[$note/@type = 'editorial'])
        || normalize-space(string-join($inner))"/>
  </xsl:function>

</xsl:stylesheet>
